from escp4i.scheduler.cli import main

raise SystemExit(main())
