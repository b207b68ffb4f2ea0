from cbcheck.cli import main

main()
