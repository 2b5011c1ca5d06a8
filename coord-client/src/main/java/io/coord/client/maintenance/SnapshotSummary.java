package io.coord.client.maintenance;

/**
 * What a verified snapshot file holds.
 *
 * @param clusterToken token of the cluster it was taken from
 * @param clusterId id of that cluster
 * @param memberName the member that took it
 * @param revision store revision at the snapshot
 * @param compactRevision oldest revision readable in it
 * @param appliedIndex Raft log index it reflects on its cluster
 * @param appliedTerm Raft term of that entry
 * @param keyCount live keys
 * @param createdUnixMs when it was taken (the serving member's clock)
 * @param fileCount files of the state store
 * @param storeBytes total size of those files
 * @param fileBytes size of the snapshot file
 * @param sha256 hex SHA-256 of the file up to its trailer (as recorded in the trailer)
 */
public record SnapshotSummary(String clusterToken, long clusterId, String memberName,
    long revision, long compactRevision, long appliedIndex, long appliedTerm, long keyCount,
    long createdUnixMs, int fileCount, long storeBytes, long fileBytes, String sha256) {}
