from gymhub.cli import main

main()
