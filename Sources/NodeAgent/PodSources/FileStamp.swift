import Foundation
import Logging
import PodAPI

/// What identifies a version of a file without reading it.
struct FileStamp: Equatable {
    var size: Int64
    var mtimeNanoseconds: Int64
    var inode: UInt64

    init?(path: String) {
        var st = stat()
        guard stat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return nil }
        size = Int64(st.st_size)
        mtimeNanoseconds = Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec)
        inode = UInt64(st.st_ino)
    }
}
