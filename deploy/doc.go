// Package deploy holds hookcheck's Kubernetes manifests: sharded load as an
// Indexed Job, the Job that merges the shards into one verdict, their
// settings and results volume. Its tests decode every manifest strictly
// into the Kubernetes API types and check the sharding contract, prove the
// harness image over HTTPS, and run the contract locally: the manifests'
// own commands in containers of the image against one registry.
package deploy
