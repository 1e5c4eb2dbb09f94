"""Check the access log's hash chains (one per care unit)."""

from dataclasses import dataclass, field

from .chain import FIELDS, entry_hash
from .models import GENESIS_HASH, AccessLogEntry, AccessLogHead


@dataclass
class ChainReport:
    checked: int = 0
    chains: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_access_log(*, batch_size: int = 5000) -> ChainReport:
    """Walk every chain in order; report gaps, broken links, altered entries,
    and chains whose head says they are longer than what is left."""
    report = ChainReport()
    ends: dict[int, tuple[int, str]] = {}
    chain, expected_seq, prev_hash = None, 1, GENESIS_HASH
    values = AccessLogEntry.objects.order_by("chain", "seq").values("chain", *FIELDS, "prev_hash", "hash")
    for row in values.iterator(chunk_size=batch_size):
        if row["chain"] != chain:
            if chain is not None:
                ends[chain] = (expected_seq - 1, prev_hash)
            chain, expected_seq, prev_hash = row["chain"], 1, GENESIS_HASH
        report.checked += 1
        seq, where = row["seq"], f"chain {row['chain']}, entry {row['seq']}"
        if seq != expected_seq:
            report.problems.append(f"chain {chain}: entry {expected_seq} to {seq - 1} missing (deleted?)")
        if row["prev_hash"] != prev_hash:
            report.problems.append(f"{where}: link to previous entry broken")
        if entry_hash(row, row["prev_hash"]) != row["hash"]:
            report.problems.append(f"{where}: content does not match its hash (changed?)")
        expected_seq, prev_hash = seq + 1, row["hash"]
    if chain is not None:
        ends[chain] = (expected_seq - 1, prev_hash)
    report.chains = len(ends)
    for head in AccessLogHead.objects.order_by("chain"):
        last_seq, last_hash = ends.get(head.chain, (0, GENESIS_HASH))
        if head.last_seq != last_seq or head.last_hash != last_hash:
            report.problems.append(
                f"chain {head.chain} ends at entry {last_seq} but its head records {head.last_seq} "
                "(entries removed at the end?)"
            )
    return report
