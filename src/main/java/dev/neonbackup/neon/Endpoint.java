package dev.neonbackup.neon;

/** A compute endpoint: its id, host name and type ({@code read_write} or {@code read_only}). */
public record Endpoint(String id, String host, String type) {}
