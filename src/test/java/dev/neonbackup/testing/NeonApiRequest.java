package dev.neonbackup.testing;

/**
 * One request as the Neon API stand-in received it: {@code path} below {@code /api/v2} (e.g. {@code
 * /projects/p/branches}), {@code query} raw (null when absent), the body as text, and the {@code
 * Authorization} header (null when absent).
 */
public record NeonApiRequest(
    String method, String path, String query, String body, String authorization) {}
