package dev.neonbackup.store;

/** An object in a bucket. */
public record ObjectLocation(String bucket, String key) {
  public String url() {
    return "s3://" + bucket + "/" + key;
  }

  public ObjectLocation withKey(String otherKey) {
    return new ObjectLocation(bucket, otherKey);
  }
}
