import Testing

@testable import PodAPI

@Suite struct ImageReferenceTests {
    static let digest = "sha256:3fbc632167424a6d997e74f52b878d7cc478225cffac6bc977eedfe51c7f4e79"

    struct Case: Sendable, CustomTestStringConvertible {
        let input: String
        let registry: String
        let repository: String
        let tag: String?
        let digest: String?
        let normalized: String
        let latest: Bool
        var testDescription: String { input.debugDescription }
    }

    static let valid: [Case] = [
        .init(
            input: "nginx", registry: "docker.io", repository: "library/nginx", tag: nil, digest: nil,
            normalized: "docker.io/library/nginx:latest", latest: true),
        .init(
            input: "nginx:1.25", registry: "docker.io", repository: "library/nginx", tag: "1.25", digest: nil,
            normalized: "docker.io/library/nginx:1.25", latest: false),
        .init(
            input: "nginx:latest", registry: "docker.io", repository: "library/nginx", tag: "latest", digest: nil,
            normalized: "docker.io/library/nginx:latest", latest: true),
        .init(
            input: "user/app", registry: "docker.io", repository: "user/app", tag: nil, digest: nil,
            normalized: "docker.io/user/app:latest", latest: true),
        .init(
            input: "localhost:5000/app:1.0", registry: "localhost:5000", repository: "app", tag: "1.0", digest: nil,
            normalized: "localhost:5000/app:1.0", latest: false),
        .init(
            input: "localhost/app", registry: "localhost", repository: "app", tag: nil, digest: nil,
            normalized: "localhost/app:latest", latest: true),
        .init(
            input: "docker.io/library/busybox@" + digest, registry: "docker.io", repository: "library/busybox", tag: nil,
            digest: digest, normalized: "docker.io/library/busybox@" + digest, latest: false),
        .init(
            input: "busybox:1.36@" + digest, registry: "docker.io", repository: "library/busybox", tag: "1.36",
            digest: digest, normalized: "docker.io/library/busybox:1.36@" + digest, latest: false),
        .init(
            input: "index.docker.io/nginx", registry: "docker.io", repository: "library/nginx", tag: nil, digest: nil,
            normalized: "docker.io/library/nginx:latest", latest: true),
        .init(
            input: "ghcr.io/kyverno/test-busybox:1.35", registry: "ghcr.io", repository: "kyverno/test-busybox", tag: "1.35",
            digest: nil, normalized: "ghcr.io/kyverno/test-busybox:1.35", latest: false),
        .init(
            input: "registry.k8s.io/e2e-test-images/jessie-dnsutils:1.3", registry: "registry.k8s.io",
            repository: "e2e-test-images/jessie-dnsutils", tag: "1.3", digest: nil,
            normalized: "registry.k8s.io/e2e-test-images/jessie-dnsutils:1.3", latest: false),
        .init(
            input: "[::1]:5000/a/b_c__d-e.f:v1_X-2", registry: "[::1]:5000", repository: "a/b_c__d-e.f", tag: "v1_X-2",
            digest: nil, normalized: "[::1]:5000/a/b_c__d-e.f:v1_X-2", latest: false),
        .init(
            input: "Registry.Example.COM/app", registry: "Registry.Example.COM", repository: "app", tag: nil, digest: nil,
            normalized: "Registry.Example.COM/app:latest", latest: true),
    ]

    @Test(arguments: valid)
    func parsesAndNormalizes(_ c: Case) throws {
        let r = try ImageReference.parse(c.input)
        #expect(r.registry == c.registry)
        #expect(r.repository == c.repository)
        #expect(r.tag == c.tag)
        #expect(r.digest == c.digest)
        #expect(r.normalized == c.normalized)
        #expect(r.isLatestOrUntagged == c.latest)
        #expect(r.defaultPullPolicy == (c.latest ? "Always" : "IfNotPresent"))
        #expect(r.original == c.input)
    }

    @Test(arguments: [
        ("busy box:1.36", "invalid reference format"),
        ("nginx ", "invalid reference format"),
        ("", "invalid reference format"),
        ("nginx:", "invalid reference format"),
        ("nginx:-bad", "invalid reference format"),
        ("nginx:" + String(repeating: "a", count: 129), "invalid reference format"),
        ("a//b", "invalid reference format"),
        ("a/b-", "invalid reference format"),
        ("<your-private-image>", "invalid reference format"),
        ("Nginx", "invalid reference format: repository name (library/Nginx) must be lowercase"),
        ("example.com/Org/app", "invalid reference format: repository name (Org/app) must be lowercase"),
        ("busybox@sha256:abc", "invalid reference format"),
        ("busybox@sha256:" + String(repeating: "a", count: 63) + "ab", "invalid checksum digest length"),
        ("busybox@md5:" + String(repeating: "a", count: 32), "unsupported digest algorithm"),
        (
            String(repeating: "a", count: 64),
            "invalid repository name (\(String(repeating: "a", count: 64))), cannot specify 64-byte hexadecimal strings"
        ),
        ("example.com:port/app", "invalid reference format"),
        ("a/" + String(repeating: "b", count: 260), "repository name must not be more than 255 characters"),
    ])
    func rejects(_ input: String, _ message: String) {
        #expect(throws: ImageReferenceError(message)) { try ImageReference.parse(input) }
    }

    @Test func digestRegistryPortAndUntaggedReferences() throws {
        let digestRef = try ImageReference.parse("docker.io/library/busybox@" + Self.digest)
        #expect(digestRef.effectiveTag == nil)
        let port = try ImageReference.parse("localhost:5000/app:1.0")
        #expect((port.registry, port.repository, port.tag) == ("localhost:5000", "app", "1.0"))
        #expect(try ImageReference.parse("nginx").normalized == "docker.io/library/nginx:latest")
    }
}
