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
}
