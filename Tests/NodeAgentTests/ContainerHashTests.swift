import PodAPI
import Testing

@testable import NodeAgent

/// kubelet's container hash against the upstream test vectors (docs/facts.md, "Container hash").
struct ContainerHashTests {
    @Test func nameImageVectorMatchesKubelet131() {
        let c = Container(name: "test_container", image: "foo/image:v1")
        #expect(ContainerHasher.hash(c, algorithm: .nameImage) == 0x8e45_cbd0)
        #expect(ContainerHasher.hex(c, algorithm: .nameImage) == "8e45cbd0")
    }

    @Test func fullContainerVectorMatchesKubelet115() {
        var c = Container(name: "test_container", image: "foo/image:v1", command: ["/bin/testcmd"], args: ["/bin/sh", "-c", "echo abc"])
        c.other["ports"] = .array([.object(["containerPort": .integer(8001)])])
        c.other["env"] = .array([
            .object(["name": .string("ENV_FOO"), "value": .string("bar")]),
            .object([
                "name": .string("ENV_BAR"),
                "valueFrom": .object([
                    "secretKeyRef": .object([
                        "name": .string("foo"), "key": .string("bar"), "optional": .bool(true),
                    ])
                ]),
            ]),
        ])
        c.other["resources"] = .object(["limits": .object(["foo": .string("1G")]), "requests": .object(["foo": .string("500M")])])
        let json = GoJSON.render(GoContainerJSON.value(of: c))
        #expect(
            json
                == #"{"name":"test_container","image":"foo/image:v1","command":["/bin/testcmd"],"args":["/bin/sh","-c","echo abc"],"ports":[{"containerPort":8001}],"env":[{"name":"ENV_FOO","value":"bar"},{"name":"ENV_BAR","valueFrom":{"secretKeyRef":{"name":"foo","key":"bar","optional":true}}}],"resources":{"limits":{"foo":"1G"},"requests":{"foo":"500M"}}}"#
        )
        #expect(ContainerHasher.hash(c, algorithm: .fullContainer) == 0x0311_670a)
        #expect(ContainerHasher.hex(c, algorithm: .fullContainer) == "311670a")
    }

    @Test func fullContainerAlwaysEmitsEmptyResources() {
        let c = Container(name: "a", image: "b")
        #expect(GoJSON.render(GoContainerJSON.value(of: c)) == #"{"name":"a","image":"b","resources":{}}"#)
    }

    @Test func nilOptionalFieldsAddNoBytes() {
        // B2: a field the agent learns about later but the spec leaves unset must not change the hash.
        let a = Container(name: "app", image: "nginx:1.25")
        var b = a
        b.other["stopSignal"] = nil
        b.other["resizePolicy"] = .array([])
        #expect(ContainerHasher.hash(a, algorithm: .fullContainer) == ContainerHasher.hash(b, algorithm: .fullContainer))
    }

    @Test func goEscapesHTMLCharactersAsEncodingJSONDoes() {
        let c = Container(name: "x", image: "a<b>&c")
        #expect(
            GoJSON.render(.object([("image", .string(c.image!)), ("name", .string(c.name))]))
                == #"{"image":"a\u003cb\u003e\u0026c","name":"x"}"#)
    }

    @Test func imageChangeChangesHashNameImage() {
        let a = Container(name: "app", image: "nginx:1.25")
        let b = Container(name: "app", image: "nginx:1.26")
        #expect(ContainerHasher.hash(a, algorithm: .nameImage) != ContainerHasher.hash(b, algorithm: .nameImage))
        var c = a
        c.command = ["sh"]
        #expect(ContainerHasher.hash(a, algorithm: .nameImage) == ContainerHasher.hash(c, algorithm: .nameImage))
        #expect(ContainerHasher.hash(a, algorithm: .fullContainer) != ContainerHasher.hash(c, algorithm: .fullContainer))
    }

    @Test func parseReadsHexAndRejectsGarbage() {
        #expect(ContainerHasher.parse("8e45cbd0") == 0x8e45_cbd0)
        #expect(ContainerHasher.parse("zz") == nil)
        #expect(ContainerHasher.parse("") == nil)
        #expect(ContainerHasher.parse(nil) == nil)
        let c = Container(name: "test_container", image: "foo/image:v1")
        #expect(ContainerHasher.matches(c, storedHex: "8e45cbd0", algorithm: .nameImage) == true)
        #expect(ContainerHasher.matches(c, storedHex: "zz", algorithm: .nameImage) == nil)
    }
}
