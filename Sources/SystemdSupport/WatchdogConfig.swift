import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// The service watchdog systemd enforces (`WatchdogSec=` in the unit), read from the environment
/// systemd passes: `WATCHDOG_USEC` (the timeout, microseconds) and `WATCHDOG_PID` (the process the
/// watchdog applies to), as `sd_watchdog_enabled(3)` reads them.
public struct WatchdogConfig: Equatable, Sendable {
    /// `WatchdogSec`: systemd acts when no `WATCHDOG=1` arrives for this long.
    public let timeout: Duration

    /// How often to ping: half of `timeout`, as `sd_watchdog_enabled(3)` advises.
    public var pingInterval: Duration { timeout / 2 }

    /// - Parameter timeout: `WatchdogSec`; must be positive.
    public init(timeout: Duration) {
        precondition(timeout > .zero, "watchdog timeout must be positive")
        self.timeout = timeout
    }

    /// Reads `WATCHDOG_USEC` and `WATCHDOG_PID`.
    /// - Parameters:
    ///   - environment: the process environment by default; tests pass their own.
    ///   - pid: this process's id (`getpid()` by default), compared with `WATCHDOG_PID`.
    /// - Returns: `nil` when `WATCHDOG_USEC` is unset or empty (no watchdog), or when `WATCHDOG_PID`
    ///   is set and names another process (the variables were inherited from a parent that systemd
    ///   watches, not this one).
    /// - Throws: `WatchdogConfigError.invalidValue` when `WATCHDOG_USEC` is not a positive integer
    ///   of microseconds or `WATCHDOG_PID` is not a positive integer.
    public static func fromEnvironment(
        _ environment: [String: String] = ProcessInfo.processInfo.environment, pid: Int32 = getpid()
    ) throws -> WatchdogConfig? {
        guard let usecText = environment["WATCHDOG_USEC"], !usecText.isEmpty else { return nil }
        guard let usec = UInt64(usecText), usec > 0, usec < UInt64.max else {
            throw WatchdogConfigError.invalidValue(variable: "WATCHDOG_USEC", value: usecText)
        }
        if let pidText = environment["WATCHDOG_PID"], !pidText.isEmpty {
            guard let watchedPID = Int32(pidText), watchedPID > 0 else {
                throw WatchdogConfigError.invalidValue(variable: "WATCHDOG_PID", value: pidText)
            }
            if watchedPID != pid { return nil }
        }
        let seconds = Int64(usec / 1_000_000)
        let micros = Int64(usec % 1_000_000)
        return WatchdogConfig(timeout: .seconds(seconds) + .microseconds(micros))
    }
}
