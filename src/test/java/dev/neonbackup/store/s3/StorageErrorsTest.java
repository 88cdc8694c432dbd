package dev.neonbackup.store.s3;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.s3.model.S3Exception;

class StorageErrorsTest {
  private static S3Exception answer(int status, String code) {
    return (S3Exception)
        S3Exception.builder()
            .statusCode(status)
            .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage("from S3").build())
            .build();
  }

  @Test
  void an_archived_object_says_to_thaw_it_not_that_access_is_denied() {
    // S3 answers a GET of a GLACIER object, or of one in an archive tier of INTELLIGENT_TIERING
    // (which HeadObject does not flag), with 403 InvalidObjectState.
    String reason = StorageErrors.reason("b", answer(403, "InvalidObjectState"));
    assertTrue(reason.contains("must be thawed first") && reason.contains("restore-object"), reason);
    assertTrue(!reason.contains("access denied"), reason);
  }

  @Test
  void a_plain_403_is_still_access_denied() {
    assertTrue(StorageErrors.reason("b", answer(403, "AccessDenied")).contains("access denied"));
  }

  @Test
  void an_expired_session_token_says_so_whatever_the_status_s3_gives_it() {
    // S3 documents ExpiredToken as 400; some stores answer it with 403.
    for (int status : new int[] {400, 403}) {
      for (String code : new String[] {"ExpiredToken", "InvalidToken", "TokenRefreshRequired"}) {
        String reason = StorageErrors.reason("b", answer(status, code));
        assertTrue(reason.contains("session token is expired or invalid"), status + " " + code + ": " + reason);
        assertTrue(reason.contains("aws-role-arn"), reason);
      }
    }
  }

  @Test
  void a_kms_refusal_names_the_kms_key_input() {
    for (String code : new String[] {"KMS.NotFoundException", "KMS.DisabledException", "KMS.AccessDeniedException"}) {
      String reason = StorageErrors.reason("b", answer(400, code));
      assertTrue(reason.contains("s3-kms-key-id") && reason.contains(code), reason);
    }
  }
}
