"""Fleet source sets written from the specification alone, as different outside teams write them."""
