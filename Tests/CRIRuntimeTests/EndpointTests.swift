import CRIRuntime
import Logging
import Testing

@Suite("CRI endpoint parsing")
struct EndpointTests {
    @Test("unix:/// URLs and bare paths give the socket path")
    func acceptsUnixSockets() throws {
        #expect(try CRIEndpoint(parsing: "unix:///run/containerd/containerd.sock").socketPath == "/run/containerd/containerd.sock")
        #expect(try CRIEndpoint(parsing: "unix:/run/crio/crio.sock").socketPath == "/run/crio/crio.sock")
        #expect(try CRIEndpoint(parsing: "/run/containerd/containerd.sock").socketPath == "/run/containerd/containerd.sock")
        #expect(try CRIEndpoint(parsing: "  unix:///tmp/x.sock\n").socketPath == "/tmp/x.sock")
        #expect(try CRIEndpoint(parsing: "/tmp/x.sock").description == "unix:///tmp/x.sock")
    }

    @Test("other schemes, relative unix paths, empty and over-long paths are refused")
    func refusesOthers() {
        #expect(throws: CRIEndpointError.unsupportedScheme(endpoint: "tcp://127.0.0.1:1234", scheme: "tcp")) {
            try CRIEndpoint(parsing: "tcp://127.0.0.1:1234")
        }
        #expect(throws: CRIEndpointError.unsupportedScheme(endpoint: "npipe:////./pipe/containerd", scheme: "npipe")) {
            try CRIEndpoint(parsing: "npipe:////./pipe/containerd")
        }
        #expect(throws: CRIEndpointError.relativePath(endpoint: "unix://run/containerd.sock")) {
            try CRIEndpoint(parsing: "unix://run/containerd.sock")
        }
        #expect(throws: CRIEndpointError.empty) { try CRIEndpoint(parsing: " ") }
        let long = "/tmp/" + String(repeating: "d", count: 120) + ".sock"
        #expect(throws: CRIEndpointError.pathTooLong(path: long, bytes: long.utf8.count)) { try CRIEndpoint(parsing: long) }
    }

    @Test("the error message says what is supported")
    func messageIsClear() {
        let message = CRIEndpointError.unsupportedScheme(endpoint: "tcp://h:1", scheme: "tcp").description
        #expect(message.contains("\"tcp\""))
        #expect(message.contains("unix:///"))
    }

    @Test("CRIRuntime.init refuses a tcp endpoint")
    func runtimeInitRefuses() {
        #expect(throws: CRIEndpointError.self) {
            _ = try CRIRuntime(endpoint: "tcp://127.0.0.1:1234", logger: Logger(label: "test"))
        }
    }
}
