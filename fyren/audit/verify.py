"""Check the access log's hash chain."""

from dataclasses import dataclass, field

from .chain import FIELDS, entry_hash
from .models import GENESIS_HASH, AccessLogEntry, AccessLogHead


@dataclass
class ChainReport:
    checked: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_access_log(*, batch_size: int = 5000) -> ChainReport:
    """Walk the chain in order; report gaps, broken links and altered entries."""
    report = ChainReport()
    expected_seq, prev_hash = 1, GENESIS_HASH
    values = AccessLogEntry.objects.order_by("seq").values(*FIELDS, "prev_hash", "hash")
    for row in values.iterator(chunk_size=batch_size):
        report.checked += 1
        seq = row["seq"]
        if seq != expected_seq:
            report.problems.append(f"entry {expected_seq} to {seq - 1} missing (deleted?)")
        if row["prev_hash"] != prev_hash:
            report.problems.append(f"entry {seq}: link to previous entry broken")
        if entry_hash(row, row["prev_hash"]) != row["hash"]:
            report.problems.append(f"entry {seq}: content does not match its hash (changed?)")
        expected_seq, prev_hash = seq + 1, row["hash"]
    head = AccessLogHead.objects.filter(pk=1).first()
    if head is not None and (head.last_seq != expected_seq - 1 or head.last_hash != prev_hash):
        report.problems.append(
            f"chain ends at entry {expected_seq - 1} but the head records {head.last_seq} (entries removed at the end?)"
        )
    return report
