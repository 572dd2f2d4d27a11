extension PodSchema {
    /// `Volume` with every `VolumeSource` of core/v1 (the inline struct flattened into `Volume`),
    /// and the projections.
    static let volumes: [StructSchema] = [
        StructSchema(
            "Volume",
            [
                "name": .str,
                "hostPath": .obj("HostPathVolumeSource"),
                "emptyDir": .obj("EmptyDirVolumeSource"),
                "gcePersistentDisk": .obj("GCEPersistentDiskVolumeSource"),
                "awsElasticBlockStore": .obj("AWSElasticBlockStoreVolumeSource"),
                "gitRepo": .obj("GitRepoVolumeSource"),
                "secret": .obj("SecretVolumeSource"),
                "nfs": .obj("NFSVolumeSource"),
                "iscsi": .obj("ISCSIVolumeSource"),
                "glusterfs": .obj("GlusterfsVolumeSource"),
                "persistentVolumeClaim": .obj("PersistentVolumeClaimVolumeSource"),
                "rbd": .obj("RBDVolumeSource"),
                "flexVolume": .obj("FlexVolumeSource"),
                "cinder": .obj("CinderVolumeSource"),
                "cephfs": .obj("CephFSVolumeSource"),
                "flocker": .obj("FlockerVolumeSource"),
                "downwardAPI": .obj("DownwardAPIVolumeSource"),
                "fc": .obj("FCVolumeSource"),
                "azureFile": .obj("AzureFileVolumeSource"),
                "configMap": .obj("ConfigMapVolumeSource"),
                "vsphereVolume": .obj("VsphereVirtualDiskVolumeSource"),
                "quobyte": .obj("QuobyteVolumeSource"),
                "azureDisk": .obj("AzureDiskVolumeSource"),
                "photonPersistentDisk": .obj("PhotonPersistentDiskVolumeSource"),
                "projected": .obj("ProjectedVolumeSource"),
                "portworxVolume": .obj("PortworxVolumeSource"),
                "scaleIO": .obj("ScaleIOVolumeSource"),
                "storageos": .obj("StorageOSVolumeSource"),
                "csi": .obj("CSIVolumeSource"),
                "ephemeral": .obj("EphemeralVolumeSource"),
                "image": .obj("ImageVolumeSource"),
            ]),
        StructSchema("HostPathVolumeSource", ["path": .str, "type": .named("HostPathType")]),
        StructSchema("EmptyDirVolumeSource", ["medium": .named("StorageMedium"), "sizeLimit": .quantity]),
        StructSchema("GCEPersistentDiskVolumeSource", ["pdName": .str, "fsType": .str, "partition": .int32, "readOnly": .bool]),
        StructSchema("AWSElasticBlockStoreVolumeSource", ["volumeID": .str, "fsType": .str, "partition": .int32, "readOnly": .bool]),
        StructSchema("GitRepoVolumeSource", ["repository": .str, "revision": .str, "directory": .str]),
        StructSchema("SecretVolumeSource", ["secretName": .str, "items": .list("KeyToPath"), "defaultMode": .int32, "optional": .bool]),
        StructSchema("NFSVolumeSource", ["server": .str, "path": .str, "readOnly": .bool]),
        StructSchema(
            "ISCSIVolumeSource",
            [
                "targetPortal": .str, "iqn": .str, "lun": .int32, "iscsiInterface": .str, "fsType": .str, "readOnly": .bool,
                "portals": .strs, "chapAuthDiscovery": .bool, "chapAuthSession": .bool,
                "secretRef": .obj("LocalObjectReference"), "initiatorName": .str,
            ]),
        StructSchema("GlusterfsVolumeSource", ["endpoints": .str, "path": .str, "readOnly": .bool]),
        StructSchema("PersistentVolumeClaimVolumeSource", ["claimName": .str, "readOnly": .bool]),
        StructSchema(
            "RBDVolumeSource",
            [
                "monitors": .strs, "image": .str, "fsType": .str, "pool": .str, "user": .str, "keyring": .str,
                "secretRef": .obj("LocalObjectReference"), "readOnly": .bool,
            ]),
        StructSchema(
            "FlexVolumeSource",
            [
                "driver": .str, "fsType": .str, "secretRef": .obj("LocalObjectReference"), "readOnly": .bool, "options": .strMap,
            ]),
        StructSchema(
            "CinderVolumeSource", ["volumeID": .str, "fsType": .str, "readOnly": .bool, "secretRef": .obj("LocalObjectReference")]),
        StructSchema(
            "CephFSVolumeSource",
            [
                "monitors": .strs, "path": .str, "user": .str, "secretFile": .str,
                "secretRef": .obj("LocalObjectReference"), "readOnly": .bool,
            ]),
        StructSchema("FlockerVolumeSource", ["datasetName": .str, "datasetUUID": .str]),
        StructSchema("DownwardAPIVolumeSource", ["items": .list("DownwardAPIVolumeFile"), "defaultMode": .int32]),
        StructSchema(
            "DownwardAPIVolumeFile",
            [
                "path": .str, "fieldRef": .obj("ObjectFieldSelector"), "resourceFieldRef": .obj("ResourceFieldSelector"), "mode": .int32,
            ]),
        StructSchema("FCVolumeSource", ["targetWWNs": .strs, "lun": .int32, "fsType": .str, "readOnly": .bool, "wwids": .strs]),
        StructSchema("AzureFileVolumeSource", ["secretName": .str, "shareName": .str, "readOnly": .bool]),
        StructSchema("ConfigMapVolumeSource", ["name": .str, "items": .list("KeyToPath"), "defaultMode": .int32, "optional": .bool]),
        StructSchema("KeyToPath", ["key": .str, "path": .str, "mode": .int32]),
        StructSchema(
            "VsphereVirtualDiskVolumeSource", ["volumePath": .str, "fsType": .str, "storagePolicyName": .str, "storagePolicyID": .str]),
        StructSchema(
            "QuobyteVolumeSource", ["registry": .str, "volume": .str, "readOnly": .bool, "user": .str, "group": .str, "tenant": .str]),
        StructSchema(
            "AzureDiskVolumeSource",
            [
                "diskName": .str, "diskURI": .str, "cachingMode": .named("AzureDataDiskCachingMode"), "fsType": .str,
                "readOnly": .bool, "kind": .named("AzureDataDiskKind"),
            ]),
        StructSchema("PhotonPersistentDiskVolumeSource", ["pdID": .str, "fsType": .str]),
        StructSchema("ProjectedVolumeSource", ["sources": .list("VolumeProjection"), "defaultMode": .int32]),
        StructSchema(
            "VolumeProjection",
            [
                "secret": .obj("SecretProjection"), "downwardAPI": .obj("DownwardAPIProjection"),
                "configMap": .obj("ConfigMapProjection"), "serviceAccountToken": .obj("ServiceAccountTokenProjection"),
                "clusterTrustBundle": .obj("ClusterTrustBundleProjection"),
            ]),
        StructSchema("SecretProjection", ["name": .str, "items": .list("KeyToPath"), "optional": .bool]),
        StructSchema("ConfigMapProjection", ["name": .str, "items": .list("KeyToPath"), "optional": .bool]),
        StructSchema("DownwardAPIProjection", ["items": .list("DownwardAPIVolumeFile")]),
        StructSchema("ServiceAccountTokenProjection", ["audience": .str, "expirationSeconds": .int64, "path": .str]),
        StructSchema(
            "ClusterTrustBundleProjection",
            [
                "name": .str, "signerName": .str, "labelSelector": .obj("LabelSelector"), "optional": .bool, "path": .str,
            ]),
        StructSchema("PortworxVolumeSource", ["volumeID": .str, "fsType": .str, "readOnly": .bool]),
        StructSchema(
            "ScaleIOVolumeSource",
            [
                "gateway": .str, "system": .str, "secretRef": .obj("LocalObjectReference"), "sslEnabled": .bool,
                "protectionDomain": .str, "storagePool": .str, "storageMode": .str, "volumeName": .str, "fsType": .str, "readOnly": .bool,
            ]),
        StructSchema(
            "StorageOSVolumeSource",
            [
                "volumeName": .str, "volumeNamespace": .str, "fsType": .str, "readOnly": .bool, "secretRef": .obj("LocalObjectReference"),
            ]),
        StructSchema(
            "CSIVolumeSource",
            [
                "driver": .str, "readOnly": .bool, "fsType": .str, "volumeAttributes": .strMap,
                "nodePublishSecretRef": .obj("LocalObjectReference"),
            ]),
        StructSchema("EphemeralVolumeSource", ["volumeClaimTemplate": .opaque("v1.PersistentVolumeClaimTemplate")]),
        StructSchema("ImageVolumeSource", ["reference": .str, "pullPolicy": .named("PullPolicy")]),
    ]
}
