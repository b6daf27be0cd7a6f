#include "ProjectSession.h"
