from kelm.cli import main

main()
