package dev.neonbackup.testing;

import java.nio.file.Path;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/** PostgreSQL in a Testcontainers container, image from {@code test.postgres.image}. */
final class ContainerPostgres extends PostgresServer {
  private final PostgreSQLContainer container;

  private ContainerPostgres(String image) {
    this.container =
        new PostgreSQLContainer(DockerImageName.parse(image).asCompatibleSubstituteFor("postgres"))
            .withUsername(SUPERUSER)
            .withPassword(password())
            .withDatabaseName("postgres");
  }

  static ContainerPostgres launch() {
    long started = System.nanoTime();
    String image = System.getProperty("test.postgres.image", "postgres:15");
    ContainerPostgres server = new ContainerPostgres(image);
    try {
      server.container.start();
    } catch (RuntimeException e) {
      server.shutDown();
      throw new IllegalStateException(
          "cannot start PostgreSQL in a container from image " + image + ": " + e.getMessage(), e);
    }
    FixtureLog.log(
        "started PostgreSQL container " + image + " on " + server.host() + ":" + server.port()
            + " in " + FixtureLog.seconds(started));
    return server;
  }

  @Override
  public String host() {
    return container.getHost();
  }

  @Override
  public int port() {
    return container.getMappedPort(PostgreSQLContainer.POSTGRESQL_PORT);
  }

  @Override
  public boolean runsInContainer() {
    return true;
  }

  @Override
  public Path binDir() {
    return null;
  }

  @Override
  protected void doStopFast() {
    throw new UnsupportedOperationException(
        "stopFast needs a local server; use PostgresServer.startLocal()");
  }

  @Override
  protected void doStartAgain() {
    throw new UnsupportedOperationException(
        "startAgain needs a local server; use PostgresServer.startLocal()");
  }

  @Override
  protected void doStop() {
    container.stop();
  }

  @Override
  protected void shutDown() {
    container.stop();
  }
}
