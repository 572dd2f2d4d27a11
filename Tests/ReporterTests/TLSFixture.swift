import Foundation
import NIOSSL

/// A self-signed certificate for 127.0.0.1 made with the `openssl` command at test time.
struct TLSFixture {
    let certificatePath: String
    let keyPath: String

    /// The `openssl` executable on PATH, or nil (the TLS round-trip tests are then skipped).
    static let opensslPath: String? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/openssl" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    struct OpenSSLFailed: Error, CustomStringConvertible {
        var description: String
    }

    /// Writes `<name>.crt` and `<name>.key` into `dir`.
    static func make(in dir: TempDir, name: String = "controller") throws -> TLSFixture {
        guard let openssl = opensslPath else { throw OpenSSLFailed(description: "openssl not found") }
        let fixture = TLSFixture(certificatePath: dir.path("\(name).crt"), keyPath: dir.path("\(name).key"))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: openssl)
        process.arguments = [
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", fixture.keyPath, "-out", fixture.certificatePath, "-days", "2",
            "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
        ]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw OpenSSLFailed(description: "openssl req failed (\(process.terminationStatus)): \(text)")
        }
        return fixture
    }

    /// A server TLS configuration presenting this certificate.
    func serverConfiguration() throws -> TLSConfiguration {
        TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMFile(certificatePath).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(file: keyPath, format: .pem)))
    }
}
