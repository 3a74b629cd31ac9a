from finmodel.cli import main

main()
