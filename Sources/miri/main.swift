print("miri")
