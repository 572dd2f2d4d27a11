import CRIRuntime
import ContainerRuntime
import GRPCCore
import Testing

@Suite("gRPC error → RuntimeError")
struct ErrorMappingTests {
    let endpoint = "unix:///run/containerd/containerd.sock"

    func map(
        _ error: any Error, _ call: String, subject: CRIErrorMapping.Subject? = nil, timeout: Double = 30,
        running: Bool = true
    ) -> ContainerRuntime.RuntimeError {
        CRIErrorMapping.map(error, call: call, endpoint: endpoint, timeoutSeconds: timeout, subject: subject, clientRunning: running)
    }

    @Test("unavailable names the call and the endpoint")
    func unavailable() {
        let error = RPCError(code: .unavailable, message: "connection refused")
        guard case .unavailable(let call, let detail) = map(error, "Version") else {
            Issue.record("not .unavailable")
            return
        }
        #expect(call == "Version")
        #expect(detail.contains(endpoint))
        #expect(detail.contains("connection refused"))
    }

    @Test("deadlineExceeded reads as unavailable after N s, with a hint when the client never ran")
    func deadline() {
        let error = RPCError(code: .deadlineExceeded, message: "Timed out waiting for response")
        #expect(map(error, "StopContainer", timeout: 40) == .unavailable(call: "StopContainer", detail: "deadline exceeded after 40 s"))
        #expect(map(error, "ExecSync", timeout: 0.5) == .unavailable(call: "ExecSync", detail: "deadline exceeded after 0.5 s"))
        guard case .unavailable(_, let detail) = map(error, "Version", timeout: 2, running: false) else {
            Issue.record("not .unavailable")
            return
        }
        #expect(detail.hasPrefix("deadline exceeded after 2 s"))
        #expect(detail.contains("not running"))
    }

    @Test("the runtime's own deadlineExceeded (ExecSync past its timeout) is .failed with its message")
    func runtimeDeadline() {
        let message = "failed to exec in container: timeout 1s exceeded: context deadline exceeded"
        let error = RPCError(code: .deadlineExceeded, message: message)
        #expect(
            CRIErrorMapping.map(error, call: "ExecSync", endpoint: endpoint, timeoutSeconds: 6, elapsedSeconds: 1.04)
                == .failed(call: "ExecSync", detail: message))
        #expect(
            CRIErrorMapping.map(error, call: "ExecSync", endpoint: endpoint, timeoutSeconds: 6, elapsedSeconds: 6.01)
                == .unavailable(call: "ExecSync", detail: "deadline exceeded after 6 s"))
    }

    @Test("notFound about the container asked for is .notFound (containerd 1.6 wording)")
    func containerNotFound() {
        let id = "0123abcd"
        let error = RPCError(code: .notFound, message: "an error occurred when try to find container \"\(id)\": not found")
        #expect(map(error, "ContainerStatus", subject: .container(id)) == .notFound(call: "ContainerStatus", kind: "container", id: id))
        #expect(map(error, "StartContainer", subject: .container(id)) == .notFound(call: "StartContainer", kind: "container", id: id))
    }

    @Test("notFound about the sandbox asked for is .notFound, with or without the ID in the message")
    func sandboxNotFound() {
        let noID = RPCError(code: .notFound, message: "an error occurred when try to find sandbox: not found")
        #expect(map(noID, "PodSandboxStatus", subject: .sandbox("s1")) == .notFound(call: "PodSandboxStatus", kind: "sandbox", id: "s1"))
        let create = RPCError(code: .notFound, message: "failed to find sandbox id \"s2\": not found")
        #expect(map(create, "CreateContainer", subject: .sandbox("s2")) == .notFound(call: "CreateContainer", kind: "sandbox", id: "s2"))
    }

    @Test("a notFound about an image is .failed, never container/sandbox not found")
    func imageNotFoundIsFailed() {
        let removed = RPCError(code: .notFound, message: "failed to get image \"sha256:4697b3b3\": not found")
        #expect(
            map(removed, "ContainerStatus", subject: .container("c1"))
                == .failed(call: "ContainerStatus", detail: "failed to get image \"sha256:4697b3b3\": not found"))
        let resolve = RPCError(
            code: .notFound, message: "failed to create containerd container: failed to resolve image \"example.local/app:v9\": not found")
        guard case .failed(let call, let detail) = map(resolve, "CreateContainer", subject: .sandbox("s1")) else {
            Issue.record("not .failed")
            return
        }
        #expect(call == "CreateContainer")
        #expect(detail.contains("example.local/app:v9"))
    }

    @Test("a notFound with no subject, or about something else, is .failed")
    func otherNotFound() {
        let error = RPCError(code: .notFound, message: "something: not found")
        #expect(map(error, "ListContainers") == .failed(call: "ListContainers", detail: "something: not found"))
        let otherObject = RPCError(code: .notFound, message: "an error occurred when try to find container \"zzz\": not found")
        #expect(map(otherObject, "CreateContainer", subject: .sandbox("s1")).isNotFound == false)
    }

    @Test("other codes are .failed with the runtime's message")
    func otherCodes() {
        let error = RPCError(code: .unknown, message: "failed to reserve container name \"app_p_ns_uid_0\": name is reserved")
        #expect(
            map(error, "CreateContainer")
                == .failed(call: "CreateContainer", detail: "failed to reserve container name \"app_p_ns_uid_0\": name is reserved"))
        #expect(
            map(RPCError(code: .unimplemented, message: "unknown service runtime.v1.RuntimeService"), "Version")
                == .failed(call: "Version", detail: "unknown service runtime.v1.RuntimeService"))
    }

    @Test("cancellation and a stopped client are .unavailable")
    func cancellationAndStopped() {
        #expect(map(CancellationError(), "ExecSync") == .unavailable(call: "ExecSync", detail: "cancelled"))
        #expect(
            map(RPCError(code: .cancelled, message: "RPC was cancelled"), "ExecSync") == .unavailable(call: "ExecSync", detail: "cancelled")
        )
        let stopped = GRPCCore.RuntimeError(code: .clientIsStopped, message: "Client has been stopped.")
        guard case .unavailable(let call, let detail) = map(stopped, "Version") else {
            Issue.record("not .unavailable")
            return
        }
        #expect(call == "Version")
        #expect(detail.contains("shut down"))
    }
}
