# syntax=docker/dockerfile:1
#
# The base image of neon-backup-action: Debian trixie with a headless Java 21 runtime, CA
# certificates and the PostgreSQL client tools of every supported major (14 to 18) from the
# PostgreSQL project's apt repository, so the program can pick the pg_dump that matches the
# server (each major lands in /usr/lib/postgresql/NN/bin). Jib adds the application on top
# (jib-maven-plugin in pom.xml) and sets the entrypoint; this image only provides the runtime.
#
# It runs as root, as GitHub requires of container actions.
#
#   docker buildx build --platform linux/amd64,linux/arm64 -t ghcr.io/OWNER/neon-backup-action-base:TAG .
#
# Release builds pin DEBIAN_IMAGE by digest. On machines without apt.postgresql.org,
# .ci/image/build-local-base.sh builds a stand-in from Debian's own packages (PostgreSQL 17 only).

ARG DEBIAN_IMAGE=debian:trixie-slim

# Fetches the PostgreSQL project's signing key and refuses any key but the published one.
FROM ${DEBIAN_IMAGE} AS pgdg-key
ARG PGDG_KEY_URL=https://www.postgresql.org/media/keys/ACCC4CF8.asc
ARG PGDG_KEY_FINGERPRINT=B97B0AFCAA1A47F044F244A07FCC7D46ACCC4CF8
RUN set -eux; \
    apt-get update; \
    apt-get install -y --no-install-recommends ca-certificates curl gnupg; \
    curl -fsSL --retry 5 -o /tmp/pgdg.asc "$PGDG_KEY_URL"; \
    primary_keys=$(gpg --batch --show-keys --with-colons /tmp/pgdg.asc \
      | awk -F: '$1 == "pub" { want = 1; next } want && $1 == "fpr" { print $10; want = 0 }'); \
    [ "$primary_keys" = "$PGDG_KEY_FINGERPRINT" ]; \
    gpg --batch --dearmor -o /tmp/pgdg.gpg /tmp/pgdg.asc

FROM ${DEBIAN_IMAGE}
ARG PG_MAJORS="14 15 16 17 18"

COPY --from=pgdg-key --chmod=644 /tmp/pgdg.gpg /usr/share/keyrings/pgdg-archive-keyring.gpg

# ca-certificates goes first: apt needs it to fetch the PostgreSQL repository over HTTPS.
# debian:*-slim already keeps documentation out of dpkg's unpacking, except the PostgreSQL man
# pages, which live under /usr/share/postgresql and are removed after the install (the clients'
# post-install step insists on them). The JRE's post-install step links man pages into
# /usr/share/man/man1, which the slim image lacks; without it the install fails.
RUN set -eux; \
    apt-get update; \
    apt-get install -y --no-install-recommends ca-certificates; \
    . /etc/os-release; \
    printf '%s\n' \
      'Types: deb' \
      'URIs: https://apt.postgresql.org/pub/repos/apt' \
      "Suites: ${VERSION_CODENAME}-pgdg" \
      'Components: main' \
      'Signed-By: /usr/share/keyrings/pgdg-archive-keyring.gpg' \
      >/etc/apt/sources.list.d/pgdg.sources; \
    mkdir -p /usr/share/man/man1; \
    apt-get update; \
    clients=""; \
    for major in $PG_MAJORS; do clients="$clients postgresql-client-$major"; done; \
    apt-get install -y --no-install-recommends openjdk-21-jre-headless $clients; \
    apt-get clean; \
    rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin /var/log/apt /var/log/dpkg.log \
      /usr/share/postgresql/*/man; \
    java -Xshare:auto -version; \
    for major in $PG_MAJORS; do \
      for tool in pg_dump pg_restore psql; do "/usr/lib/postgresql/$major/bin/$tool" --version; done; \
    done

ENV LANG=C.UTF-8
WORKDIR /github/workspace
USER root
CMD ["java", "-version"]
