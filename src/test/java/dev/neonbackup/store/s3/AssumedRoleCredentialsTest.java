package dev.neonbackup.store.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.sun.net.httpserver.HttpServer;
import dev.neonbackup.report.Secret;
import dev.neonbackup.store.WebIdentityRole;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleWithWebIdentityRequest;
import software.amazon.awssdk.services.sts.model.AssumeRoleWithWebIdentityResponse;
import software.amazon.awssdk.services.sts.model.Credentials;
import software.amazon.awssdk.services.sts.model.StsException;

/** A renewal that fails while the session still has time left must not end the run early. */
class AssumedRoleCredentialsTest {
  private static final Instant T0 = Instant.parse("2026-11-30T03:00:00Z");
  private static final Duration LIFETIME = Duration.ofMinutes(15);

  private HttpServer tokens;
  private Instant now = T0;

  /** STS on a clock of the test's own: each session lasts 15 minutes, or STS is down. */
  private final class FakeSts implements StsClient {
    final AtomicInteger calls = new AtomicInteger();
    volatile boolean down;

    @Override
    public AssumeRoleWithWebIdentityResponse assumeRoleWithWebIdentity(AssumeRoleWithWebIdentityRequest request) {
      int call = calls.incrementAndGet();
      if (down) {
        throw (StsException) StsException.builder().statusCode(503).message("unavailable").build();
      }
      return AssumeRoleWithWebIdentityResponse.builder()
          .credentials(
              Credentials.builder()
                  .accessKeyId("ASIA" + call)
                  .secretAccessKey("secret-" + call)
                  .sessionToken("token-" + call)
                  .expiration(now.plus(LIFETIME))
                  .build())
          .build();
    }

    @Override
    public String serviceName() {
      return "sts";
    }

    @Override
    public void close() {}
  }

  @BeforeEach
  void tokenEndpoint() throws IOException {
    tokens = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    tokens.createContext("/token", exchange -> {
      byte[] body = "{\"value\":\"oidc-token\"}".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    tokens.start();
  }

  @AfterEach
  void stop() {
    tokens.stop(0);
  }

  private AssumedRoleCredentials credentials(FakeSts sts) {
    WebIdentityRole role =
        new WebIdentityRole(
            "arn:aws:iam::123456789012:role/neon-backup",
            "neon-backup-action-1",
            Optional.empty(),
            URI.create("http://127.0.0.1:" + tokens.getAddress().getPort() + "/token?api-version=2.0"),
            Secret.of("request-token"),
            secret -> {});
    Clock clock = new Clock() {
      @Override
      public java.time.ZoneId getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(java.time.ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        return now;
      }
    };
    return AssumedRoleCredentials.startWith(role, sts, clock);
  }

  @Test
  void a_failed_renewal_in_the_last_minute_keeps_serving_the_session_until_it_expires() {
    FakeSts sts = new FakeSts();
    try (AssumedRoleCredentials credentials = credentials(sts)) {
      sts.down = true;
      now = T0.plus(LIFETIME).minusSeconds(30); // stale, not expired
      assertEquals("ASIA1", credentials.resolveCredentials().accessKeyId());
      now = T0.plus(LIFETIME).plusSeconds(1);
      assertThrows(RuntimeException.class, credentials::resolveCredentials);
      sts.down = false;
      String renewed = credentials.resolveCredentials().accessKeyId();
      assertEquals("ASIA" + sts.calls.get(), renewed, "a new session once STS answers again");
    }
  }
}
