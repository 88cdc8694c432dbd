package dev.neonbackup.neon;

/** A database of a branch and the role that owns it. */
public record Database(String name, String ownerName) {}
