# syntax=docker/dockerfile:1
# Multi-stage build: compile on Debian bookworm, run on bookworm-slim as a non-root user
# with only the runtime libraries.

FROM debian:bookworm AS build
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      build-essential cmake pkg-config libmicrohttpd-dev libpq-dev libjansson-dev \
      libjwt-dev libsodium-dev check libcurl4-openssl-dev python3 python3-yaml \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY CMakeLists.txt ./
COPY cmake cmake
COPY include include
COPY src src
COPY migrations migrations
COPY data data
COPY openapi.yaml ./
COPY tests tests
RUN cmake -S . -B build -DCMAKE_BUILD_TYPE=Release \
 && cmake --build build -j"$(nproc)" --target pathways \
 && strip build/pathways

FROM debian:bookworm-slim
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      libmicrohttpd12 libpq5 libjansson4 libjwt0 libsodium23 ca-certificates curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --no-create-home --shell /usr/sbin/nologin pathways
COPY --from=build /src/build/pathways /usr/local/bin/pathways
USER pathways
ENV PATHWAYS_LISTEN=0.0.0.0:8080
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
  CMD curl -fsS http://127.0.0.1:8080/readyz >/dev/null || exit 1
ENTRYPOINT ["pathways"]
CMD ["serve", "--migrate"]
