import Foundation
import PodAPI

/// kubelet's container hash (`HashContainer` in pkg/kubelet/container/helpers.go), both forms.
///
/// The hash is FNV-1a 32-bit, widened to 64 bits, over the text go-spew prints for the JSON bytes:
/// `([]uint8)[` + each byte in decimal joined by single spaces + `]`. kubelet writes it to the
/// `io.kubernetes.container.hash` annotation as lower-case hex without a prefix.
public enum ContainerHasher {
    /// The hash of `container` by `algorithm`.
    public static func hash(_ container: Container, algorithm: HashAlgorithm) -> UInt64 {
        let json: [UInt8]
        switch algorithm {
        case .nameImage:
            json = Array(GoJSON.render(.object([("image", .string(container.image ?? "")), ("name", .string(container.name))])).utf8)
        case .fullContainer:
            json = Array(GoJSON.render(GoContainerJSON.value(of: container)).utf8)
        }
        return UInt64(fnv1a32(spewBytes(json)))
    }

    /// The hash as kubelet writes it into the annotation: lower-case hex, no leading zeros.
    public static func hex(_ container: Container, algorithm: HashAlgorithm) -> String {
        String(hash(container, algorithm: algorithm), radix: 16)
    }

    /// Parses an annotation value as kubelet does (base 16); nil when missing or malformed,
    /// where kubelet would read 0 and restart the container (B3).
    public static func parse(_ annotation: String?) -> UInt64? {
        guard let a = annotation, !a.isEmpty else { return nil }
        return UInt64(a, radix: 16)
    }

    /// Whether `storedHex`, made by `algorithm`, still matches `container`.
    ///
    /// A missing or unparsable stored hash is not taken as a change (kubelet would restart, B3):
    /// the caller then compares the image it recorded with the spec's.
    public static func matches(_ container: Container, storedHex: String, algorithm: HashAlgorithm) -> Bool? {
        guard let stored = parse(storedHex) else { return nil }
        return stored == hash(container, algorithm: algorithm)
    }

    static func spewBytes(_ bytes: [UInt8]) -> [UInt8] {
        var out = Array("([]uint8)[".utf8)
        out.reserveCapacity(out.count + bytes.count * 4 + 1)
        for (i, b) in bytes.enumerated() {
            if i > 0 { out.append(0x20) }
            out.append(contentsOf: String(b).utf8)
        }
        out.append(UInt8(ascii: "]"))
        return out
    }

    static func fnv1a32(_ bytes: [UInt8]) -> UInt32 {
        var h: UInt32 = 0x811C_9DC5
        for b in bytes {
            h ^= UInt32(b)
            h = h &* 0x0100_0193
        }
        return h
    }
}
