import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Reads one manifest file with plain system calls: `open` (following links), `fstat` on the
/// open descriptor, `read`.
///
/// `FileManager.attributesOfItem` cost an open and a read of /etc/passwd and /etc/group per file
/// (it names the owner), which at start-up with thousands of manifests was a fifth of the
/// reader's system calls; `fstat` on the descriptor also checks the very file that is read.
enum ManifestFileReader {
    /// The bytes of the regular file at `path` (at most `limits.maxFileBytes`).
    ///
    /// A named pipe is opened without blocking and refused before any read; a directory, socket
    /// or device is refused the same way. Errors: `cannot read file: <strerror>` (missing,
    /// permission denied, I/O error), `not a regular file (<kind>); not read`, or the size limit,
    /// each a file-level `ManifestError` naming `path`.
    static func read(_ path: String, limits: ManifestLimits) -> Result<[UInt8], ManifestError> {
        func failure(_ message: String) -> Result<[UInt8], ManifestError> {
            .failure(ManifestError(file: path, document: nil, message: message))
        }
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        if fd < 0 { return failure("cannot read file: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var info = stat()
        if fstat(fd, &info) != 0 { return failure("cannot read file: \(String(cString: strerror(errno)))") }
        let format = info.st_mode & S_IFMT
        if format != S_IFREG { return failure("not a regular file (\(kind(of: format))); not read") }
        let size = Int(info.st_size)
        if size > limits.maxFileBytes { return failure(ManifestLoader.tooLarge(size, limits)) }
        // The file may grow between fstat and read: read one byte past the limit to notice.
        let capacity = min(size, limits.maxFileBytes) + 1
        var bytes = [UInt8](repeating: 0, count: capacity)
        var count = 0
        while true {
            if count == bytes.count {
                if count > limits.maxFileBytes { break }
                bytes.append(contentsOf: repeatElement(0, count: min(max(count, 4096), limits.maxFileBytes + 1 - count)))
            }
            let n = bytes.withUnsafeMutableBytes { buffer in Glibc.read(fd, buffer.baseAddress! + count, buffer.count - count) }
            if n < 0 {
                if errno == EINTR { continue }
                return failure("cannot read file: \(String(cString: strerror(errno)))")
            }
            if n == 0 { break }
            count += n
        }
        if count > limits.maxFileBytes { return failure(ManifestLoader.tooLarge(count, limits)) }
        bytes.removeSubrange(count...)
        return .success(bytes)
    }

    /// How `ls -l` would name a file of this type, for the refusal message.
    static func kind(of format: mode_t) -> String {
        switch format {
        case S_IFDIR: "directory"
        case S_IFIFO: "named pipe"
        case S_IFSOCK: "socket"
        case S_IFCHR: "character device"
        case S_IFBLK: "block device"
        default: "type \(String(format, radix: 8))"
        }
    }
}
