package dev.neonbackup.neon;

/** A Postgres role of a branch; protected ones are Neon's own. */
public record Role(String name, boolean isProtected) {}
