import EtcdProto
import Foundation

/// The etcd request messages the store sends, built in one place.
enum EtcdRequests {
    static func range(_ key: String) -> Etcdserverpb_RangeRequest {
        var request = Etcdserverpb_RangeRequest()
        request.key = EtcdKeys.data(key)
        return request
    }

    static func rangePrefix(_ prefix: String) -> Etcdserverpb_RangeRequest {
        var request = Etcdserverpb_RangeRequest()
        request.key = EtcdKeys.data(prefix)
        request.rangeEnd = EtcdKeys.rangeEnd(ofPrefix: prefix)
        request.sortOrder = .ascend
        request.sortTarget = .key
        return request
    }

    static func put(_ key: String, value: [UInt8], lease: Int64 = 0, prevKV: Bool = false) -> Etcdserverpb_RequestOp {
        var put = Etcdserverpb_PutRequest()
        put.key = EtcdKeys.data(key)
        put.value = Data(value)
        put.lease = lease
        put.prevKv = prevKV
        var op = Etcdserverpb_RequestOp()
        op.requestPut = put
        return op
    }

    static func rangeOp(_ key: String) -> Etcdserverpb_RequestOp {
        var op = Etcdserverpb_RequestOp()
        op.requestRange = range(key)
        return op
    }

    static func deleteOp(_ key: String) -> Etcdserverpb_RequestOp {
        var delete = Etcdserverpb_DeleteRangeRequest()
        delete.key = EtcdKeys.data(key)
        delete.prevKv = true
        var op = Etcdserverpb_RequestOp()
        op.requestDeleteRange = delete
        return op
    }

    /// `create_revision(key) == 0`: the key is absent.
    static func absent(_ key: String) -> Etcdserverpb_Compare {
        var compare = Etcdserverpb_Compare()
        compare.key = EtcdKeys.data(key)
        compare.target = .create
        compare.result = .equal
        compare.createRevision = 0
        return compare
    }

    /// `mod_revision(key) == revision`.
    static func modRevision(_ key: String, equals revision: Int64) -> Etcdserverpb_Compare {
        var compare = Etcdserverpb_Compare()
        compare.key = EtcdKeys.data(key)
        compare.target = .mod
        compare.result = .equal
        compare.modRevision = revision
        return compare
    }

    /// `create_revision(key) > 0`: the key is present.
    static func present(_ key: String) -> Etcdserverpb_Compare {
        var compare = Etcdserverpb_Compare()
        compare.key = EtcdKeys.data(key)
        compare.target = .create
        compare.result = .greater
        compare.createRevision = 0
        return compare
    }

    static func txn(
        _ compare: [Etcdserverpb_Compare], success: [Etcdserverpb_RequestOp], failure: [Etcdserverpb_RequestOp]
    ) -> Etcdserverpb_TxnRequest {
        var txn = Etcdserverpb_TxnRequest()
        txn.compare = compare
        txn.success = success
        txn.failure = failure
        return txn
    }
}
