print("inplaced")
