# syntax=docker/dockerfile:1
# Build: docker build -t shelflife .
# Run:   docker run --rm -v "$PWD:/src:ro" shelflife scan /src

ARG RUST_VERSION=1.95

FROM rust:${RUST_VERSION}-slim-bookworm AS builder
WORKDIR /build
# Dependencies first, so that source changes do not rebuild them.
COPY Cargo.toml Cargo.lock ./
COPY adapters/Cargo.toml adapters/Cargo.toml
RUN mkdir -p src adapters/src benches \
    && echo 'fn main() {}' > src/main.rs && echo 'fn main() {}' > benches/enrich.rs \
    && touch src/lib.rs adapters/src/lib.rs \
    && cargo fetch --locked
COPY . .
RUN touch src/main.rs src/lib.rs adapters/src/lib.rs \
    && cargo build --release --locked --bin shelflife \
    && strip target/release/shelflife

FROM debian:bookworm-slim AS runtime
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --create-home --home-dir /home/shelflife shelflife
COPY --from=builder /build/target/release/shelflife /usr/local/bin/shelflife
USER 10001:10001
WORKDIR /src
ENV SHELFLIFE_DB=/home/shelflife/.local/share/shelflife/shelflife.db
ENTRYPOINT ["/usr/local/bin/shelflife"]
CMD ["--help"]
