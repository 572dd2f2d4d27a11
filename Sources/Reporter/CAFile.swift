import Foundation
import NIOConcurrencyHelpers
import NIOSSL

/// The PEM file of CA certificates that an https controller's certificate must chain to.
/// `check()` verifies it before each batch of requests (parsing it again only when its
/// fingerprint changed), so a missing or broken file is reported as an error that names it
/// instead of a TLS handshake failure.
final class CAFile: Sendable {
    let path: String
    private let checked = NIOLockedValueBox<FileFingerprint?>(nil)

    init(path: String) { self.path = path }

    /// - Throws: `ReporterError.caFile(path:detail:)` when the file is missing, unreadable or holds
    ///   no PEM certificate.
    func check() throws(ReporterError) {
        let fingerprint: FileFingerprint
        do {
            fingerprint = try FileFingerprint.of(path)
        } catch {
            throw .caFile(path: path, detail: describeFileError(error))
        }
        if checked.withLockedValue({ $0 }) == fingerprint { return }
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw .caFile(path: path, detail: "permission denied")
        }
        let certificates: [NIOSSLCertificate]
        do {
            certificates = try NIOSSLCertificate.fromPEMFile(path)
        } catch {
            throw .caFile(path: path, detail: "not a PEM certificate file (\(error))")
        }
        guard !certificates.isEmpty else { throw .caFile(path: path, detail: "holds no certificate") }
        checked.withLockedValue { $0 = fingerprint }
    }
}
