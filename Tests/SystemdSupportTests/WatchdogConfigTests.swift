import Testing

@testable import SystemdSupport

#if canImport(Glibc)
    import Glibc
#endif

@Suite("WatchdogConfig reads WATCHDOG_USEC and WATCHDOG_PID")
struct WatchdogConfigTests {
    @Test("the ping interval is half of WatchdogSec")
    func halfInterval() throws {
        let config = try #require(try WatchdogConfig.fromEnvironment(["WATCHDOG_USEC": "30000000"], pid: 42))
        #expect(config.timeout == .seconds(30))
        #expect(config.pingInterval == .seconds(15))
    }

    @Test("sub-second values keep their microseconds")
    func microseconds() throws {
        let config = try #require(try WatchdogConfig.fromEnvironment(["WATCHDOG_USEC": "1500001"], pid: 42))
        #expect(config.timeout == .microseconds(1_500_001))
        #expect(config.pingInterval == .nanoseconds(750_000_500))
    }

    @Test("WATCHDOG_PID equal to this process enables the watchdog")
    func matchingPID() throws {
        let env = ["WATCHDOG_USEC": "20000000", "WATCHDOG_PID": "\(getpid())"]
        let config = try #require(try WatchdogConfig.fromEnvironment(env))
        #expect(config.pingInterval == .seconds(10))
    }

    @Test("WATCHDOG_PID naming another process means no watchdog for this one")
    func otherPID() throws {
        let env = ["WATCHDOG_USEC": "20000000", "WATCHDOG_PID": "4242"]
        #expect(try WatchdogConfig.fromEnvironment(env, pid: 17) == nil)
    }

    @Test("no WATCHDOG_USEC means no watchdog", arguments: [[:], ["WATCHDOG_USEC": ""], ["WATCHDOG_PID": "17"]])
    func absent(environment: [String: String]) throws {
        #expect(try WatchdogConfig.fromEnvironment(environment, pid: 17) == nil)
    }

    @Test(
        "malformed values are errors naming the variable",
        arguments: [
            (["WATCHDOG_USEC": "30s"], "WATCHDOG_USEC"),
            (["WATCHDOG_USEC": "0"], "WATCHDOG_USEC"),
            (["WATCHDOG_USEC": "-5"], "WATCHDOG_USEC"),
            (["WATCHDOG_USEC": "1000", "WATCHDOG_PID": "abc"], "WATCHDOG_PID"),
            (["WATCHDOG_USEC": "1000", "WATCHDOG_PID": "0"], "WATCHDOG_PID"),
        ])
    func malformed(environment: [String: String], variable: String) {
        let error = #expect(throws: WatchdogConfigError.self) { try WatchdogConfig.fromEnvironment(environment, pid: 17) }
        #expect(error == .invalidValue(variable: variable, value: environment[variable]!))
    }
}
