"""The Luhn (mod 10) check digit used by Swedish identity and organisation numbers."""


def luhn_checksum_ok(digits: str) -> bool:
    """True when the last digit of ``digits`` is the Luhn check digit of the rest."""
    if not digits.isdigit() or len(digits) < 2:
        return False
    return luhn_check_digit(digits[:-1]) == int(digits[-1])


def luhn_check_digit(digits: str) -> int:
    total = 0
    # Weights 2,1,2,1... from the left for an odd-length payload (nine digits).
    for index, char in enumerate(reversed(digits)):
        value = int(char) * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return (10 - total % 10) % 10
