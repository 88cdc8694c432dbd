package dev.neonbackup.postgres;

/** What the server says of itself: {@code server_version_num} and {@code server_version}. */
public record ServerInfo(int versionNumber, String version) {
  /** The major version: 150018 is 15, 180001 is 18 (servers 10 and later). */
  public int major() {
    return versionNumber / 10000;
  }
}
