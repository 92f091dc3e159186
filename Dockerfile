# The reference registry as a container image: FROM scratch with the static
# hookcheck binary (classic builder only). Build the binary first:
#   CGO_ENABLED=0 go build -o hookcheck ./cmd/hookcheck
#   docker build -t hookcheck-registry .
# Run it with host networking; flags after the image name go to the registry:
#   docker run --network host hookcheck-registry --addr 127.0.0.1:8080
FROM scratch
COPY hookcheck /hookcheck
ENTRYPOINT ["/hookcheck", "registry"]
CMD ["--addr", "127.0.0.1:8080"]
