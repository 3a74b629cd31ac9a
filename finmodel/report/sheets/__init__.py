"""One module per sheet of the board pack: each turns a close into that sheet's tables."""
