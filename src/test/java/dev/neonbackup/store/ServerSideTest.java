package dev.neonbackup.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neonbackup.failure.InputException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ServerSideTest {
  private static ServerSide of(String sse, String kms, String storageClass, String tags, String mode, String days) {
    return ServerSide.of(sse, kms, storageClass, tags, mode, days);
  }

  @Test
  void nothing_given_is_nothing_asked() {
    assertEquals(ServerSide.NONE, of(null, "", " ", null, "", null));
  }

  @Test
  void sse_is_spelt_as_s3_wants_it_whatever_the_case() {
    assertEquals("AES256", of("aes256", null, null, null, null, null).encryption().get().algorithm());
    assertEquals("aws:kms:dsse", of("AWS:KMS:DSSE", "k", null, null, null, null).encryption().get().algorithm());
  }

  @Test
  void a_kms_key_from_a_secret_loses_its_trailing_newline_with_or_without_s3_sse() {
    assertEquals(Optional.of("alias/backups"), of(null, "alias/backups\n", null, null, null, null).encryption().get().kmsKeyId());
    assertEquals(Optional.of("alias/backups"), of("aws:kms", " alias/backups\n", null, null, null, null).encryption().get().kmsKeyId());
  }

  @Test
  void a_kms_key_alone_means_aws_kms() {
    ServerSide.Encryption encryption = of(null, "alias/backups", null, null, null, null).encryption().get();
    assertEquals("aws:kms", encryption.algorithm());
    assertEquals(Optional.of("alias/backups"), encryption.kmsKeyId());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "kms||||||s3-sse",
        "AES256|key-1|||||s3-kms-key-id",
        "aws:kms|key with spaces|||||s3-kms-key-id",
        "|key with spaces|||||s3-kms-key-id",
        "|alias/x;rm|||||s3-kms-key-id",
        "||GLACIER_DEEP||||s3-storage-class",
        "||standard ia||||s3-storage-class",
        "|||team|||s3-tags",
        "|||=value|||s3-tags",
        "|||aws:owner=me|||s3-tags",
        "|||a=1,a=2|||s3-tags",
        "|||note=a;b|||s3-tags",
        "|||1=a,2=a,3=a,4=a,5=a,6=a,7=a,8=a,9=a,10=a,11=a|||s3-tags",
        "||||GOVERNANCE||s3-object-lock-mode and s3-object-lock-days go together",
        "|||||30|s3-object-lock-mode and s3-object-lock-days go together",
        "||||LEGAL_HOLD|30|s3-object-lock-mode",
        "||||COMPLIANCE|0|s3-object-lock-days",
        "||||COMPLIANCE|36501|s3-object-lock-days",
        "||||COMPLIANCE|30d|s3-object-lock-days",
        "||||COMPLIANCE|2.5|s3-object-lock-days",
      })
  void bad_input_is_refused_naming_it(
      String sse, String kms, String storageClass, String tags, String mode, String days, String named) {
    InputException e =
        assertThrows(InputException.class, () -> of(sse, kms, storageClass, tags, mode, days));
    assertTrue(e.getMessage().contains(named), e.getMessage());
  }

  @Test
  void tags_are_split_on_commas_and_newlines_and_encoded_for_the_header() {
    ServerSide side = of(null, null, null, "team=data,\n purpose = nightly backup ,\nexpr=a=b", null, null);
    assertEquals(Map.of("team", "data", "purpose", "nightly backup", "expr", "a=b"), side.tags());
    assertEquals(Optional.of("team=data&purpose=nightly%20backup&expr=a%3Db"), side.taggingHeader());
  }

  @Test
  void storage_classes_take_any_case_and_hyphens() {
    assertEquals(Optional.of("GLACIER_IR"), of(null, null, "glacier-ir", null, null, null).storageClass());
    assertTrue(ServerSide.needsThaw("DEEP_ARCHIVE"));
    assertTrue(ServerSide.needsThaw("GLACIER"));
    assertTrue(!ServerSide.needsThaw("GLACIER_IR") && !ServerSide.needsThaw(null));
  }

  @Test
  void the_lock_holds_for_whole_days_from_creation() {
    ServerSide.ObjectLock lock = of(null, null, null, null, "compliance", " 7 ").objectLock().get();
    assertEquals(ServerSide.LockMode.COMPLIANCE, lock.mode());
    Instant now = Instant.parse("2026-11-30T10:00:00Z");
    assertEquals(Instant.parse("2026-12-07T10:00:00Z"), lock.retainUntil(now));
  }
}
