package dev.neonbackup.store.s3;

import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sts.model.StsException;

/**
 * STS's refusals of AssumeRoleWithWebIdentity in words that say what to change. The messages hold
 * no token or key: STS's own message is quoted, and it never repeats the token it was given.
 */
final class RoleFailures {
  private static final String PROVIDER = "token.actions.githubusercontent.com";

  private RoleFailures() {}

  static SdkClientException refused(String roleArn, StsException e) {
    String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    String said = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorMessage();
    return SdkClientException.builder()
        .message(
            "could not assume aws-role-arn "
                + roleArn
                + ": STS answered HTTP "
                + e.statusCode()
                + (code == null ? "" : " " + code)
                + (said == null ? "" : " (" + said + ")")
                + advice(code))
        .cause(e)
        .build();
  }

  static SdkClientException unreachable(SdkClientException e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    int newline = message.indexOf('\n');
    return SdkClientException.builder()
        .message(
            "could not reach STS to assume aws-role-arn: "
                + (newline < 0 ? message : message.substring(0, newline)))
        .cause(e)
        .build();
  }

  private static String advice(String code) {
    if (code == null) {
      return "";
    }
    switch (code) {
      case "AccessDenied":
      case "IDPRejectedClaim":
        return ": check the role's trust policy. It must allow sts:AssumeRoleWithWebIdentity to the"
            + " federated principal of the OIDC provider " + PROVIDER + ", with the condition "
            + PROVIDER + ":aud = sts.amazonaws.com and a " + PROVIDER + ":sub that matches this"
            + " repository (repo:OWNER/REPO:ref:refs/heads/BRANCH, or :environment:NAME)";
      case "InvalidIdentityToken":
        return ": add the OpenID Connect identity provider https://" + PROVIDER
            + " (audience sts.amazonaws.com) to the role's AWS account";
      case "ValidationError":
        return ": check aws-role-duration-seconds against the role's maximum session duration";
      case "RegionDisabledException":
        return ": activate STS in aws-region's region for the account, or set another aws-region";
      case "ExpiredTokenException":
        return ": the OIDC token expired before STS read it; run the job again";
      default:
        return "";
    }
  }
}
