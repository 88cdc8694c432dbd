package dev.neonbackup.store.s3;

import dev.neonbackup.failure.StorageException;
import dev.neonbackup.report.Secret;
import dev.neonbackup.store.WebIdentityRole;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleWithWebIdentityRequest;
import software.amazon.awssdk.services.sts.model.Credentials;
import software.amazon.awssdk.services.sts.model.StsException;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * Credentials of aws-role-arn, for as long as the run lasts: each session comes from STS
 * AssumeRoleWithWebIdentity with a fresh OIDC token from the runner, and is renewed in the
 * background when its {@link RefreshWindows#prefetchAt} comes; a request that finds it stale
 * renews it first. Every token and key obtained is handed to the role's protect callback (masked
 * and redacted) before it is used.
 *
 * <p>Not the SDK's StsAssumeRoleWithWebIdentityCredentialsProvider: its refresh windows are fixed
 * durations, set before the first session says how long sessions last.
 */
final class AssumedRoleCredentials implements AwsCredentialsProvider, SdkAutoCloseable {
  private static final Duration RETRY_AHEAD = Duration.ofSeconds(1);

  private final WebIdentityRole role;
  private final RunnerIdToken idToken;
  private final StsClient sts;
  private final Clock clock;
  private final ScheduledExecutorService refresher =
      Executors.newSingleThreadScheduledExecutor(
          runnable -> {
            Thread thread = new Thread(runnable, "aws-role-refresh");
            thread.setDaemon(true);
            return thread;
          });
  private volatile Session session;
  private ScheduledFuture<?> next;

  private record Session(AwsSessionCredentials credentials, RefreshWindows windows) {}

  private AssumedRoleCredentials(WebIdentityRole role, StsClient sts, Clock clock) {
    this.role = role;
    this.idToken = new RunnerIdToken(role.tokenUrl(), role.requestToken());
    this.sts = sts;
    this.clock = clock;
  }

  /**
   * Assumes the role at once, so that a refused role or an unreachable token endpoint fails the run
   * before any work, as a storage failure that says what to fix.
   */
  static AssumedRoleCredentials start(WebIdentityRole role, String region) {
    StsClient sts =
        StsClient.builder()
            .region(Region.of(region))
            // AssumeRoleWithWebIdentity is not signed: the OIDC token is the proof.
            .credentialsProvider(AnonymousCredentialsProvider.create())
            .httpClientBuilder(Apache5HttpClient.builder())
            .build();
    return startWith(role, sts, Clock.systemUTC());
  }

  /** The same, with the STS client and clock given (tests). */
  static AssumedRoleCredentials startWith(WebIdentityRole role, StsClient sts, Clock clock) {
    AssumedRoleCredentials credentials = new AssumedRoleCredentials(role, sts, clock);
    try {
      credentials.install(credentials.assume());
    } catch (SdkClientException e) {
      credentials.close();
      throw new StorageException(e.getMessage(), e);
    }
    return credentials;
  }

  @Override
  public AwsCredentials resolveCredentials() {
    Session current = session;
    if (clock.instant().isBefore(current.windows().staleAt())) {
      return current.credentials();
    }
    synchronized (this) {
      if (!clock.instant().isBefore(session.windows().staleAt())) {
        try {
          install(assume());
        } catch (RuntimeException e) {
          // Stale is a margin, not the end: until the session expires, a request (the upload's
          // completion, or its abort) may still go through with it; after that, say why not.
          Instant expires = session.credentials().expirationTime().orElse(Instant.MIN);
          if (!clock.instant().isBefore(expires)) {
            throw e;
          }
        }
      }
      return session.credentials();
    }
  }

  private synchronized void install(Session fresh) {
    session = fresh;
    if (next != null) {
      next.cancel(false);
    }
    next = scheduleAt(fresh.windows().prefetchAt());
  }

  /** On the refresher thread. A failure is tried again until the session is stale; then the next request renews it, or fails saying why. */
  private void refreshAhead() {
    try {
      install(assume());
    } catch (RuntimeException e) {
      Instant now = clock.instant();
      Duration left = Duration.between(now, session.windows().staleAt());
      if (!left.isNegative()) {
        synchronized (this) {
          Duration wait = left.dividedBy(4);
          next = scheduleAt(now.plus(wait.compareTo(RETRY_AHEAD) < 0 ? RETRY_AHEAD : wait));
        }
      }
    }
  }

  private ScheduledFuture<?> scheduleAt(Instant when) {
    long delay = Math.max(0, Duration.between(clock.instant(), when).toMillis());
    return refresher.schedule(this::refreshAhead, delay, TimeUnit.MILLISECONDS);
  }

  private Session assume() {
    Secret token = idToken.fetch();
    role.protect().accept(token);
    AssumeRoleWithWebIdentityRequest.Builder request =
        AssumeRoleWithWebIdentityRequest.builder()
            .roleArn(role.roleArn())
            .roleSessionName(role.sessionName())
            .webIdentityToken(token.reveal());
    role.durationSeconds().ifPresent(request::durationSeconds);
    Instant asked = clock.instant();
    Credentials issued;
    try {
      issued = sts.assumeRoleWithWebIdentity(request.build()).credentials();
    } catch (StsException e) {
      throw RoleFailures.refused(role.roleArn(), e);
    } catch (SdkClientException e) {
      throw RoleFailures.unreachable(e);
    }
    role.protect().accept(Secret.of(issued.accessKeyId()));
    role.protect().accept(Secret.of(issued.secretAccessKey()));
    role.protect().accept(Secret.of(issued.sessionToken()));
    return new Session(
        AwsSessionCredentials.builder()
            .accessKeyId(issued.accessKeyId())
            .secretAccessKey(issued.secretAccessKey())
            .sessionToken(issued.sessionToken())
            .expirationTime(issued.expiration())
            .build(),
        RefreshWindows.between(asked, issued.expiration()));
  }

  @Override
  public void close() {
    refresher.shutdownNow();
    sts.close();
  }
}
