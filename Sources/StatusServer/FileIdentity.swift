import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A file's device and inode.
struct FileIdentity: Equatable, Sendable {
    var device: UInt64
    var inode: UInt64
}

#if canImport(Darwin)
    typealias Glibc_group = Darwin.group
#elseif canImport(Musl)
    typealias Glibc_group = Musl.group
#else
    typealias Glibc_group = Glibc.group
#endif
