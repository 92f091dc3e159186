# The hookcheck image: FROM scratch with the static binary, entrypoint
# hookcheck, so that any subcommand runs as in a shell (classic builder only).
# Trusted roots are built into the binary (Mozilla's set, used when the system
# has none); SSL_CERT_FILE replaces them. It runs as user 65532, in /results,
# a directory that user may write. Build the binary first:
#   CGO_ENABLED=0 go build -trimpath -o hookcheck ./cmd/hookcheck
#   DOCKER_BUILDKIT=0 docker build -t hookcheck .
# Run it with host networking, e.g. the suite against a deployment, or the
# reference registry:
#   docker run --network host hookcheck conformance --target https://registry.example
#   docker run --network host hookcheck registry --addr 127.0.0.1:8080
FROM scratch
COPY hookcheck /hookcheck
COPY --chown=65532:65532 deploy/image/rootfs/ /
USER 65532:65532
WORKDIR /results
ENTRYPOINT ["/hookcheck"]
