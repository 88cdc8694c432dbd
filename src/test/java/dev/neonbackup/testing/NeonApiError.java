package dev.neonbackup.testing;

/**
 * An answer of the Neon API stand-in other than success: the HTTP status and the message of Neon's
 * error body ({@code {"code": "", "message": ...}}, GeneralError in the OpenAPI file).
 */
final class NeonApiError extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int status;

  NeonApiError(int status, String message) {
    super(message);
    this.status = status;
  }

  int status() {
    return status;
  }

  static NeonApiError notFound(String message) {
    return new NeonApiError(404, message);
  }

  static NeonApiError badRequest(String message) {
    return new NeonApiError(400, message);
  }
}
