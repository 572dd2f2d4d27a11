import Foundation
import Testing

@testable import inplaced

/// The daemon's settings: defaults, config file, flags over file, and the errors that name the key.
struct DaemonConfigurationTests {
    func file(_ text: String) throws -> String {
        let path = NSTemporaryDirectory() + "inplaced-config-\(UUID().uuidString).yaml"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func newcomerDefaultsLiveUnderDotInplaced() {
        let d = DaemonConfiguration.defaults(environment: [:])
        #expect(d.stateDir == ".inplaced")
        #expect(d.socketPath == ".inplaced/inplaced.sock")
        #expect(d.runtime == "mock")
        #expect(d.relistPeriodSeconds == 1)
        let cwd = FileManager.default.currentDirectoryPath
        #expect(d.agentConfiguration.podLogRoot == cwd + "/.inplaced/logs")
    }

    @Test("--state-dir alone moves the container logs too (the demo's went into the checkout)")
    func newcomerLogsFollowTheStateDirectory() {
        var flags = DaemonConfiguration()
        flags.stateDir = "/tmp/somewhere/state"
        #expect(
            DaemonConfiguration.defaults(environment: [:]).overlaid(with: flags).agentConfiguration.podLogRoot
                == "/tmp/somewhere/state/logs")
        var both = flags
        both.podLogDir = "/srv/logs"
        #expect(DaemonConfiguration.defaults(environment: [:]).overlaid(with: both).agentConfiguration.podLogRoot == "/srv/logs")
    }

    @Test func systemdDefaultsFollowStateAndRuntimeDirectory() {
        let d = DaemonConfiguration.defaults(environment: ["STATE_DIRECTORY": "/var/lib/inplaced", "RUNTIME_DIRECTORY": "/run/inplaced"])
        #expect(d.stateDir == "/var/lib/inplaced")
        #expect(d.socketPath == "/run/inplaced/inplaced.sock")
        #expect(d.manifestDir == "/etc/inplaced/manifests")
        #expect(d.agentConfiguration.podLogRoot == "/var/log/pods")
    }

    @Test func fileThenFlagsOverDefaults() throws {
        let path = try file(
            "nodeName: from-file\nrelistPeriodSeconds: 2\nmockRegistry:\n  app:v1: sha256:\(String(repeating: "a", count: 64))\n")
        var flags = DaemonConfiguration()
        flags.relistPeriodSeconds = 0.5
        let merged = DaemonConfiguration.defaults(environment: [:]).overlaid(with: try DaemonConfiguration.load(path: path)).overlaid(
            with: flags)
        #expect(merged.nodeName == "from-file")
        #expect(merged.relistPeriodSeconds == 0.5)
        #expect(merged.mockRegistry?["app:v1"]?.hasPrefix("sha256:") == true)
        #expect(merged.stateDir == ".inplaced")
    }

    @Test("eventedPLEG: on unless the file or a flag turns it off; the flag wins")
    func eventedPLEG() throws {
        #expect(DaemonConfiguration.defaults(environment: [:]).agentConfiguration.eventedPLEG)
        let off = try DaemonConfiguration.load(path: try file("eventedPLEG: false\n"))
        let fromFile = DaemonConfiguration.defaults(environment: [:]).overlaid(with: off)
        #expect(!fromFile.agentConfiguration.eventedPLEG)
        var flags = DaemonConfiguration()
        flags.eventedPLEG = true
        #expect(fromFile.overlaid(with: flags).agentConfiguration.eventedPLEG)
        #expect(throws: ConfigError.self) { _ = try DaemonConfiguration.load(path: try file("eventedPLEG: sometimes\n")) }
    }

    @Test func unknownKeyIsNamed() throws {
        let path = try file("nodeName: a\nrelistPeriod: 3\n")
        #expect { try DaemonConfiguration.load(path: path) } throws: {
            "\($0)".contains("unknown field \"relistPeriod\"") && "\($0)".contains(path)
        }
    }

    @Test func wrongTypeIsAnErrorNamingTheFile() throws {
        let path = try file("relistPeriodSeconds: soon\n")
        #expect { try DaemonConfiguration.load(path: path) } throws: { "\($0)".contains(path) }
    }

    @Test func emptyFileIsNoSettings() throws {
        #expect(try DaemonConfiguration.load(path: try file("")) == DaemonConfiguration())
    }

    @Test func missingFileIsNamed() {
        #expect { try DaemonConfiguration.load(path: "/nonexistent/inplaced.yaml") } throws: {
            "\($0)".contains("/nonexistent/inplaced.yaml")
        }
    }

    @Test func invalidValuesNameTheirKey() {
        let base = DaemonConfiguration.defaults(environment: [:])
        var cases: [(String, DaemonConfiguration)] = []
        var c = base
        c.relistPeriodSeconds = 0
        cases.append(("relistPeriodSeconds", c))
        c = base
        c.defaultGraceSeconds = -1
        cases.append(("defaultGraceSeconds", c))
        c = base
        c.runtime = "docker"
        cases.append(("runtime", c))
        c = base
        c.runtimeEndpoint = "tcp://10.0.0.1:1234"
        cases.append(("runtimeEndpoint", c))
        c = base
        c.runtimeEndpoint = "unix://relative.sock"
        cases.append(("runtimeEndpoint", c))
        c = base
        c.hashAlgorithm = "md5"
        cases.append(("hashAlgorithm", c))
        c = base
        c.podUpdatePolicy = "Sometimes"
        cases.append(("podUpdatePolicy", c))
        c = base
        c.logLevel = "loud"
        cases.append(("logLevel", c))
        c = base
        c.backoffMaxSeconds = 1
        cases.append(("backoffMaxSeconds", c))
        c = base
        c.relistPeriodSeconds = .infinity
        cases.append(("relistPeriodSeconds", c))
        c = base
        c.relistPeriodSeconds = 1e300
        cases.append(("relistPeriodSeconds", c))
        c = base
        c.defaultGraceSeconds = .infinity
        cases.append(("defaultGraceSeconds", c))
        c = base
        c.backoffBaseSeconds = .nan
        cases.append(("backoffBaseSeconds", c))
        for (key, config) in cases {
            #expect(throws: (any Error).self, "\(key)") { try config.validated() }
            do { _ = try config.validated() } catch { #expect("\(error)".hasPrefix(key + ":"), "\(error)") }
        }
    }

    @Test func criRuntimeAndItsEndpointAreAccepted() throws {
        var c = DaemonConfiguration.defaults(environment: [:])
        c.runtime = "cri"
        #expect(try c.validated().runtimeEndpoint == nil)
        c.runtimeEndpoint = "unix:///run/containerd/containerd.sock"
        #expect(try c.validated().runtimeEndpoint == "unix:///run/containerd/containerd.sock")
        c.runtimeEndpoint = "/tmp/x/containerd.sock"
        #expect(try c.validated().runtime == "cri")
        let file = NSTemporaryDirectory() + "ipd-cfg-\(UUID().uuidString.prefix(6)).yaml"
        try "runtime: cri\nruntimeEndpoint: unix:///var/run/cri.sock\n".write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let loaded = try DaemonConfiguration.load(path: file)
        #expect(loaded.runtime == "cri" && loaded.runtimeEndpoint == "unix:///var/run/cri.sock")
    }

    @Test func everyInvalidKeyIsReportedAtOnce() {
        var c = DaemonConfiguration.defaults(environment: [:])
        c.hashAlgorithm = "sha256"
        c.podUpdatePolicy = "Sometimes"
        c.relistPeriodSeconds = -1
        do {
            _ = try c.validated()
            Issue.record("expected an error")
        } catch {
            let lines = "\(error)".split(separator: "\n").map(String.init)
            #expect(lines.count == 3)
            #expect(lines.contains { $0.hasPrefix("hashAlgorithm:") })
            #expect(lines.contains { $0.hasPrefix("podUpdatePolicy:") })
            #expect(lines.contains { $0.hasPrefix("relistPeriodSeconds: Invalid value: -1: must be greater than 0") })
        }
    }

    @Test func defaultsAreValid() throws {
        _ = try DaemonConfiguration.defaults(environment: [:]).validated()
    }
}
