package dev.neonbackup.store;

/** An object in the bucket: its key and size. */
public record StoredObject(String key, long size) {}
