import Testing

@Suite("etcd environment")
struct EtcdEnvironmentTests {
    @Test("INPLACED_REQUIRE_ETCD=1 needs INPLACED_ETCD_ENDPOINTS", .enabled(if: EtcdTestEnvironment.required))
    func endpointsAreSetWhenRequired() {
        #expect(
            EtcdTestEnvironment.endpointList != nil,
            "INPLACED_REQUIRE_ETCD=1 but INPLACED_ETCD_ENDPOINTS is not set: start a cluster with scripts/etcd-cluster.sh up DIR and export the line it prints"
        )
    }
}
