# Join numbers into a comma-separated string (PIE: repeated string += in a loop → str.join).
# === slow ===
def join_numbers(xs: list[int]) -> str:
    out = ""
    for x in xs:
        out = out + str(x) + ","
        out = out[:]
    return out
# === fast ===
def join_numbers(xs: list[int]) -> str:
    return "".join(str(x) + "," for x in xs)
