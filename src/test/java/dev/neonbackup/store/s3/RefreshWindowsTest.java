package dev.neonbackup.store.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** When an assumed role's session is renewed, for lifetimes around each cap's threshold. */
class RefreshWindowsTest {
  private static final Instant ISSUED = Instant.parse("2026-11-21T03:15:00Z");

  @ParameterizedTest(name = "a session of {0} ms is renewed ahead after {1} ms, stale after {2} ms")
  @CsvSource({
    // lifetime, prefetch from, stale from (milliseconds after issue)
    "15000, 10000, 13500", // the tests' stand-in: renewed every 10 s, not on every request
    "599000, 399333, 539100", // a third and a tenth of the lifetime, below both caps
    "600000, 400000, 540000", // a tenth is exactly the 1-minute cap
    "601000, 400666, 541000",
    "899000, 599333, 839000", // a third is just under the 5-minute cap
    "900000, 600000, 840000", // STS's shortest session: a third is exactly the cap
    "901000, 601000, 841000",
    "3600000, 3300000, 3540000", // STS's default session: the SDK's own windows
    "43200000, 42900000, 43140000",
    "0, 0, 0"
  })
  void renews_a_session_at_a_share_of_its_lifetime_capped_at_the_sdk_defaults(
      long lifetime, long prefetch, long stale) {
    RefreshWindows windows = RefreshWindows.between(ISSUED, ISSUED.plusMillis(lifetime));
    assertEquals(ISSUED.plusMillis(prefetch), windows.prefetchAt().truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
    assertEquals(ISSUED.plusMillis(stale), windows.staleAt().truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
  }

  @Test
  void credentials_already_expired_when_received_are_stale_at_once() {
    RefreshWindows windows = RefreshWindows.between(ISSUED, ISSUED.minusSeconds(5));
    assertEquals(ISSUED.minusSeconds(5), windows.prefetchAt());
    assertEquals(ISSUED.minusSeconds(5), windows.staleAt());
  }

  @ParameterizedTest
  @CsvSource({
    "https://runner.example/_apis/idtoken?api-version=2.0, https://runner.example/_apis/idtoken?api-version=2.0&audience=sts.amazonaws.com",
    "http://127.0.0.1:8080/token, http://127.0.0.1:8080/token?audience=sts.amazonaws.com"
  })
  void the_token_request_asks_for_the_sts_audience(String given, String asked) {
    assertEquals(URI.create(asked), RunnerIdToken.withAudience(URI.create(given)));
  }
}
