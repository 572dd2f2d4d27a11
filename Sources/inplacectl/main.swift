print("inplacectl")
