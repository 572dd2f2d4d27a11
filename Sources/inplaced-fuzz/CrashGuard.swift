#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Saves the input being loaded when the process dies of a signal. Before each input, `arm`
/// copies it and its file path into buffers allocated once; the handler, on an alternate stack
/// (so a stack overflow can run it), writes the buffer with plain open(2)/write(2), says where on
/// standard error, puts back the handler that was there before (Swift's backtracer) and raises
/// the signal again.
enum CrashGuard {
    static let signals: [Int32] = [SIGSEGV, SIGILL, SIGTRAP, SIGABRT, SIGBUS, SIGFPE]

    /// Installs the handlers, with room for inputs of up to `capacity` bytes.
    static func install(capacity: Int) {
        CrashState.capacity = capacity
        CrashState.buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: max(1, capacity))
        CrashState.path = UnsafeMutablePointer<CChar>.allocate(capacity: CrashState.pathCapacity)
        CrashState.path[0] = 0
        CrashState.previous = UnsafeMutablePointer<sigaction>.allocate(capacity: 64)

        let stackSize = 1 << 20
        var stack = stack_t()
        stack.ss_sp = UnsafeMutableRawPointer.allocate(byteCount: stackSize, alignment: 16)
        stack.ss_size = stackSize
        stack.ss_flags = 0
        sigaltstack(&stack, nil)

        for sig in signals {
            var action = sigaction()
            #if canImport(Glibc)
                action.__sigaction_handler.sa_handler = crashHandler
            #else
                action.__sigaction_u.__sa_handler = crashHandler
            #endif
            action.sa_flags = Int32(SA_ONSTACK)
            sigemptyset(&action.sa_mask)
            sigaction(sig, &action, CrashState.previous + Int(sig))
        }
    }

    /// Keeps `bytes` and the path to write them to if the process dies before `disarm`.
    static func arm(_ bytes: [UInt8], path: String) {
        let n = min(bytes.count, CrashState.capacity)
        bytes.withUnsafeBufferPointer { src in
            if let base = src.baseAddress { CrashState.buffer.update(from: base, count: n) }
        }
        CrashState.length = n
        var k = 0
        for c in path.utf8 where k < CrashState.pathCapacity - 1 {
            CrashState.path[k] = CChar(bitPattern: c)
            k += 1
        }
        CrashState.path[k] = 0
    }

    static func disarm() { CrashState.path[0] = 0 }
}

/// The handler's state, set up before any signal can come.
enum CrashState {
    static let pathCapacity = 4096
    nonisolated(unsafe) static var capacity = 0
    nonisolated(unsafe) static var length = 0
    nonisolated(unsafe) static var buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)
    nonisolated(unsafe) static var path = UnsafeMutablePointer<CChar>.allocate(capacity: 1)
    nonisolated(unsafe) static var previous = UnsafeMutablePointer<sigaction>.allocate(capacity: 1)
}

private func writeAll(_ fd: Int32, _ p: UnsafeRawPointer, _ count: Int) {
    var off = 0
    while off < count {
        let n = write(fd, p + off, count - off)
        if n <= 0 { return }
        off += n
    }
}

private func writeText(_ fd: Int32, _ s: StaticString) {
    writeAll(fd, UnsafeRawPointer(s.utf8Start), s.utf8CodeUnitCount)
}

private let crashHandler: @convention(c) (Int32) -> Void = { sig in
    writeText(2, "\ninplaced-fuzz: caught signal ")
    var digits: (UInt8, UInt8, UInt8) = (0x30 + UInt8(sig / 100 % 10), 0x30 + UInt8(sig / 10 % 10), 0x30 + UInt8(sig % 10))
    withUnsafeBytes(of: &digits) { writeAll(2, $0.baseAddress!, 3) }
    if CrashState.path[0] != 0 {
        let fd = open(CrashState.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        if fd >= 0 {
            writeAll(fd, CrashState.buffer, CrashState.length)
            close(fd)
            writeText(2, " while loading an input; it is saved to ")
        } else {
            writeText(2, " while loading an input; could not save it to ")
        }
        writeAll(2, CrashState.path, strlen(CrashState.path))
    }
    writeText(2, "\n")
    sigaction(sig, CrashState.previous + Int(sig), nil)
    raise(sig)
}
