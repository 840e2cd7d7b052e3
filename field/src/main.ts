// The CSS of the whole app is in the entry (the first screen uses Vant's classes). The function-call
// components (toast, dialog) are not in templates, so their styles come in by hand.
import 'vant/es/nav-bar/style';
import 'vant/es/cell/style';
import 'vant/es/cell-group/style';
import 'vant/es/tag/style';
import 'vant/es/toast/style';
import 'vant/es/dialog/style';
import './app.css';
import { drawFirstScreen } from './first-screen.ts';

// The kept task list is on screen before Vue, Vant and the pages are loaded and evaluated (boot.ts).
drawFirstScreen();
void import('./boot.ts');
