import Foundation
import Testing

@testable import SystemdSupport

#if canImport(Glibc)
    import Glibc
#endif

@Suite("SystemdNotifier sends sd_notify datagrams")
struct SystemdNotifierTests {
    @Test("each call sends its exact datagram to a socket path")
    func datagramsToPath() throws {
        let receiver = try DatagramReceiver()
        let notifier = try SystemdNotifier(environment: ["NOTIFY_SOCKET": receiver.notifySocket])
        #expect(notifier.address == .path(receiver.notifySocket))

        #expect(try notifier.ready())
        #expect(receiver.next() == "READY=1\nMAINPID=\(getpid())")
        #expect(try notifier.stopping())
        #expect(receiver.next() == "STOPPING=1")
        #expect(try notifier.watchdog())
        #expect(receiver.next() == "WATCHDOG=1")
        #expect(try notifier.status("syncing 3 pods"))
        #expect(receiver.next() == "STATUS=syncing 3 pods")
        #expect(receiver.drain().isEmpty)
    }

    @Test("an abstract @name reaches a socket in the abstract namespace")
    func abstractNamespace() throws {
        let receiver = try DatagramReceiver(abstract: true)
        #expect(receiver.notifySocket.hasPrefix("@"))
        let notifier = try SystemdNotifier(environment: ["NOTIFY_SOCKET": receiver.notifySocket])
        #expect(notifier.address == .abstract(String(receiver.notifySocket.dropFirst())))

        try notifier.ready()
        #expect(receiver.next() == "READY=1\nMAINPID=\(getpid())")
        try notifier.watchdog()
        #expect(receiver.next() == "WATCHDOG=1")
        try notifier.stopping()
        #expect(receiver.next() == "STOPPING=1")
    }

    @Test("STATUS stays one assignment when the text has line breaks")
    func statusLineBreaks() throws {
        let receiver = try DatagramReceiver()
        let notifier = try SystemdNotifier(environment: ["NOTIFY_SOCKET": receiver.notifySocket])
        try notifier.status("line one\nline two\r\nthree")
        #expect(receiver.next() == "STATUS=line one line two three")
    }

    @Test("reloading sends RELOADING=1 with a monotonic timestamp in microseconds")
    func reloading() throws {
        let receiver = try DatagramReceiver()
        let notifier = try SystemdNotifier(environment: ["NOTIFY_SOCKET": receiver.notifySocket])
        var before = timespec()
        clock_gettime(CLOCK_MONOTONIC, &before)
        try notifier.reloading()
        let datagram = try #require(receiver.next())
        let lines = datagram.split(separator: "\n").map(String.init)
        #expect(lines.count == 2)
        #expect(lines.first == "RELOADING=1")
        let usec = try #require(lines.last.flatMap { $0.hasPrefix("MONOTONIC_USEC=") ? UInt64($0.dropFirst(15)) : nil })
        #expect(usec >= UInt64(before.tv_sec) * 1_000_000 + UInt64(before.tv_nsec) / 1_000)
    }

    @Test("without NOTIFY_SOCKET every call is a no-op returning false", arguments: [[:], ["NOTIFY_SOCKET": ""]])
    func unsetIsNoOp(environment: [String: String]) throws {
        let notifier = try SystemdNotifier(environment: environment)
        #expect(!notifier.isEnabled)
        #expect(try notifier.ready() == false)
        #expect(try notifier.stopping() == false)
        #expect(try notifier.watchdog() == false)
        #expect(try notifier.status("x") == false)
        #expect(try notifier.reloading() == false)
    }

    @Test("an address that is neither absolute nor @name is refused", arguments: ["relative/notify.sock", "vsock:2:1234", "@"])
    func invalidAddress(value: String) {
        #expect(throws: SystemdNotifierError.self) { try SystemdNotifier(environment: ["NOTIFY_SOCKET": value]) }
    }

    @Test("a path longer than sun_path is refused")
    func tooLong() {
        let long = "/" + String(repeating: "a", count: NotifySocketAddress.maximumLength)
        #expect(throws: SystemdNotifierError.self) { try SystemdNotifier(environment: ["NOTIFY_SOCKET": long]) }
    }

    @Test("a socket nobody listens on is a send error naming the address and errno")
    func nobodyListening() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("absent-\(UUID().uuidString).sock").path
        let notifier = try SystemdNotifier(environment: ["NOTIFY_SOCKET": path])
        #expect(throws: SystemdNotifierError.sendFailed(address: path, errno: ENOENT)) { try notifier.ready() }
        let error = SystemdNotifierError.sendFailed(address: path, errno: ENOENT)
        #expect(error.description.contains(path))
        #expect(error.description.contains("No such file or directory"))
    }
}
